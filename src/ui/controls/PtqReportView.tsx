import type { PtqReport } from '@/store/types';
import { AdaRoundLossChart } from '../charts/AdaRoundLossChart';
import { ChannelRangesChart } from '../charts/ChannelRangesChart';
import { dbText, percent, seconds } from '../format';

const sci = (x: number) => (Number.isFinite(x) ? x.toExponential(3) : '…');

/** What each PTQ step changed: the accuracy ladder, CLE ranges, AdaRound and bias correction. */
export function PtqReportView({ report }: { report: PtqReport }) {
  const nodes = Object.keys(report.steps[0]?.weightSqnrDb ?? {});
  return (
    <div className="ptq-report" data-testid="ptq-report">
      <table className="layers" aria-label="PTQ steps">
        <thead>
          <tr>
            <th>Step</th>
            <th>Accuracy</th>
            <th>Output SQNR (dB)</th>
            {nodes.map((n) => (
              <th key={n} title={`Weight SQNR of ${n} (dB)`}>
                W-SQNR {n}
              </th>
            ))}
            <th>Time</th>
          </tr>
        </thead>
        <tbody>
          {report.steps.map((s) => (
            <tr key={s.step} data-step={s.step}>
              <td>{s.label}</td>
              <td data-col="accuracy" data-value={s.accuracy}>
                {percent(s.accuracy)}
              </td>
              <td>{dbText(s.outputSqnrDb)}</td>
              {nodes.map((n) => (
                <td key={n}>{dbText(s.weightSqnrDb[n])}</td>
              ))}
              <td className="muted">{seconds(s.millis)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {report.cle && (
        <div className="charts">
          <p className="muted">
            CLE: {report.cle.pairs.map((p) => `${p.first} → ${p.second}`).join(', ')} (
            {report.cle.iterations} iterations)
            {report.biasAbsorption &&
              `; biases absorbed: ${report.biasAbsorption
                .map((b) => `${b.node} → ${b.next} (${b.channels} channels)`)
                .join(', ')}`}
          </p>
          {report.cle.ranges.map((r) => (
            <ChannelRangesChart key={r.node} node={r.node} before={r.before} after={r.after} />
          ))}
        </div>
      )}
      {report.adaround && <AdaRoundLossChart series={report.adaround} />}
      {report.adaround && (
        <table className="layers" aria-label="AdaRound per layer">
          <thead>
            <tr>
              <th>AdaRound layer</th>
              <th>Iterations</th>
              <th title="Layer-output MSE with round-to-nearest">MSE nearest</th>
              <th title="Layer-output MSE with the learned rounding">MSE AdaRound</th>
              <th title="Mean (Ŵ − W)²: nearest is the smallest by construction">
                weight MSE nearest / AdaRound
              </th>
              <th title="Weights whose code differs from round-to-nearest">codes changed</th>
              <th>Time</th>
            </tr>
          </thead>
          <tbody>
            {report.adaround.map((a) => (
              <tr key={a.node} data-node={a.node}>
                <td>{a.node}</td>
                <td>{a.iterations}</td>
                <td data-col="nearest-mse" data-value={a.nearestMse}>
                  {sci(a.nearestMse)}
                </td>
                <td data-col="adaround-mse" data-value={a.adaroundMse}>
                  {sci(a.adaroundMse)}
                </td>
                <td>
                  {sci(a.nearestWeightMse)} / {sci(a.adaroundWeightMse)}
                </td>
                <td>{Number.isFinite(a.fractionChanged) ? percent(a.fractionChanged) : '…'}</td>
                <td className="muted">{seconds(a.millis)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {report.biasCorrection && (
        <table className="layers" aria-label="Bias correction per layer">
          <thead>
            <tr>
              <th>Bias correction ({report.biasCorrection.mode})</th>
              <th title="Mean over channels of |E[y_q − y_fp]| before correction">
                mean |shift| before
              </th>
              <th title="The same after correction">after</th>
            </tr>
          </thead>
          <tbody>
            {report.biasCorrection.layers.map((l) => (
              <tr key={l.node} data-node={l.node}>
                <td>{l.node}</td>
                <td data-col="shift-before" data-value={l.before}>
                  {sci(l.before)}
                </td>
                <td data-col="shift-after" data-value={l.after}>
                  {sci(l.after)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
