import { BackendPicker } from './controls/BackendPicker';
import { DebugPanel } from './controls/DebugPanel';
import { EvalPanel } from './controls/EvalPanel';
import { ModelUpload } from './controls/ModelUpload';
import { QatPanel } from './controls/QatPanel';
import { QuantPanel } from './controls/QuantPanel';
import { SearchPanel } from './controls/SearchPanel';
import { ShareButton } from './controls/ShareButton';
import { ZooGrid } from './controls/ZooGrid';
import { Hideable } from './Hideable';
import { ErrorBanner } from './feedback/ErrorBanner';
import { LessonsPanel } from './lessons/LessonsPanel';

export function App() {
  return (
    <div className="app">
      <header className="toolbar">
        <h1>Quantization Playground</h1>
        <Hideable group="share">
          <ShareButton />
        </Hideable>
        <Hideable group="backend">
          <BackendPicker />
        </Hideable>
      </header>
      <ErrorBanner />
      <main>
        <LessonsPanel />
        {/* A link's hide= list (config/hide.ts) drops whole control groups. */}
        <Hideable group="upload" fallback={<Hideable group="zoo">{<ZooGrid />}</Hideable>}>
          <ModelUpload>
            <Hideable group="zoo">
              <ZooGrid />
            </Hideable>
          </ModelUpload>
        </Hideable>
        <Hideable group="eval">
          <EvalPanel />
        </Hideable>
        <QuantPanel />
        <Hideable group="debug">
          <DebugPanel />
        </Hideable>
        <Hideable group="qat">
          <QatPanel />
        </Hideable>
        <SearchPanel />
      </main>
    </div>
  );
}
