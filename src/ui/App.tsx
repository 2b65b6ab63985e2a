import { BackendPicker } from './controls/BackendPicker';
import { DebugPanel } from './controls/DebugPanel';
import { EvalPanel } from './controls/EvalPanel';
import { ModelUpload } from './controls/ModelUpload';
import { QatPanel } from './controls/QatPanel';
import { QuantPanel } from './controls/QuantPanel';
import { ZooGrid } from './controls/ZooGrid';
import { ErrorBanner } from './feedback/ErrorBanner';

export function App() {
  return (
    <div className="app">
      <header className="toolbar">
        <h1>Quantization Playground</h1>
        <BackendPicker />
      </header>
      <ErrorBanner />
      <main>
        <ModelUpload>
          <ZooGrid />
        </ModelUpload>
        <EvalPanel />
        <QuantPanel />
        <DebugPanel />
        <QatPanel />
      </main>
    </div>
  );
}
