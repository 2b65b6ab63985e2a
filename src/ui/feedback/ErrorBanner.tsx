import { useAppStore } from '@/store/hooks';
import { selectNotifications } from '@/store/selectors';

/** Every problem the user caused or hit, each with a dismiss button; text is rendered, never parsed as HTML. */
export function ErrorBanner() {
  const notifications = useAppStore(selectNotifications);
  const dismiss = useAppStore((s) => s.dismiss);
  if (notifications.length === 0) return null;
  return (
    <div className="notifications" role="alert">
      {notifications.map((n) => (
        <div key={n.id} className={`notification ${n.kind}`}>
          <span>{n.message}</span>
          <button type="button" aria-label="Dismiss" onClick={() => dismiss(n.id)}>
            ×
          </button>
        </div>
      ))}
    </div>
  );
}
