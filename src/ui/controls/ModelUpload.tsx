import { type DragEvent, type ReactNode, useId, useState } from 'react';
import { MAX_MODEL_BYTES } from '@/config/limits';
import { useAppStore } from '@/store/hooks';
import { selectEngine, selectUpload } from '@/store/selectors';

const hasFiles = (e: DragEvent) => Array.from(e.dataTransfer.types).includes('Files');

/**
 * "Upload your own model": a labelled file input (the keyboard path) and the zoo area around
 * it as a drop zone. Only the store reads and validates the files; names and messages are
 * rendered as React text, never as HTML.
 */
export function ModelUpload({ children }: { children: ReactNode }) {
  const upload = useAppStore(selectUpload);
  const ready = useAppStore(selectEngine).status === 'ready';
  const uploadModel = useAppStore((s) => s.uploadModel);
  const [over, setOver] = useState(false);
  const inputId = useId();
  const busy = upload.status === 'validating';

  const send = (list: FileList | null) => {
    const files = Array.from(list ?? []);
    if (files.length > 0) void uploadModel(files);
  };

  return (
    <div
      className={`zoo-area${over ? ' drop-over' : ''}`}
      data-testid="model-drop-zone"
      onDragOver={(e) => {
        if (!hasFiles(e)) return;
        e.preventDefault(); // allows the drop
        e.dataTransfer.dropEffect = 'copy';
        setOver(true);
      }}
      onDragLeave={(e) => {
        // Leaving for a child (a card) is not leaving the zone.
        if (!(e.relatedTarget instanceof Node && e.currentTarget.contains(e.relatedTarget)))
          setOver(false);
      }}
      onDrop={(e) => {
        if (!hasFiles(e)) return;
        e.preventDefault(); // stops the browser from opening the file
        setOver(false);
        send(e.dataTransfer.files);
      }}
    >
      {children}
      <div className="upload">
        <label htmlFor={inputId}>Upload your own model</label>{' '}
        <input
          id={inputId}
          type="file"
          multiple
          accept=".json,.bin"
          disabled={!ready || busy}
          aria-describedby={`${inputId}-help`}
          onChange={(e) => {
            send(e.currentTarget.files);
            e.currentTarget.value = ''; // so picking the same files again is a new upload
          }}
        />
        <p id={`${inputId}-help`} className="muted">
          A TF.js Layers model: its model.json and weight shards (.bin), float32 weights, at most{' '}
          {MAX_MODEL_BYTES / 2 ** 20} MiB in all. Pick them here or drop them on the zoo; they are
          checked in this tab and sent nowhere.
        </p>
        <p role="status" className="upload-status" data-testid="upload-status">
          {busy && (
            <>
              <progress aria-label="Validating the uploaded model" /> Validating{' '}
              {upload.files.join(', ')}…
            </>
          )}
        </p>
      </div>
    </div>
  );
}
