/** report: changes nothing and explains, per PodMonitor, which strategies apply and why the others do not. */
import { info, type Result } from '../../src/krm/index.js';
import type { Analysis } from './analysis.js';
import type { FixContext } from './context.js';
import { verdictOf } from './decision.js';
import { mergePlan } from './merge-metrics.js';
import { exceptionPorts } from './port-exception.js';
import { scrapeClassRefusal } from './scrape-class.js';
import { serviceMonitorPlan } from './service-monitor.js';

/** One info result listing each strategy with "applies" or the reason it does not. */
export function report(analysis: Analysis, ctx: FixContext): Result {
  const lines: string[] = [];
  const scrape = scrapeClassRefusal(analysis, ctx);
  lines.push(
    `scrape-class: ${scrape ?? `applies (Prometheus needs scrape class ${ctx.config.scrapeClass.name}, operator v0.74+)`}`,
  );
  const service = serviceMonitorPlan(analysis, ctx);
  lines.push(
    `service-monitor: ${
      !service.ok
        ? `no, ${service.problems.map((p) => p.message).join('; ')}`
        : service.value.reuse
          ? `applies (through Service ${service.value.reuse.names.join(', ')})`
          : 'applies (with a generated headless Service)'
    }`,
  );
  const merge = mergePlan(analysis);
  lines.push(
    `merge-metrics: ${merge.ok ? 'applies (app metrics then served on :15020, plain text)' : `no, ${merge.problems.join('; ')}`}`,
  );
  const exception = exceptionPorts(analysis, ctx);
  lines.push(
    `port-exception: ${
      exception.ok
        ? `applies (opens ${[...exception.value].map(([w, p]) => `${w.item.describe()} port ${p.join(',')}`).join('; ')} to plain text)`
        : `no, ${exception.problems.join('; ')}`
    }`,
  );
  const verdict = verdictOf(analysis, ctx);
  const need = { fix: 'a fix is needed', none: 'no fix needed', leave: 'left as is' }[verdict.need];
  lines.push(`scrape path: ${need} (${verdict.reason})`);
  return info(lines.join('; '), analysis.at());
}
