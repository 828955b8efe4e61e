import { CategoryScale, Chart, Filler, Legend, LinearScale, LineController, LineElement, PointElement, Tooltip } from 'chart.js';
import { useEffect, useRef } from 'preact/hooks';
import type { Dashboard } from '@rabt/ops-contracts';
import { useConsole } from '../app/console.context';
import { dirOf } from '../i18n/i18n';

Chart.register(LineController, LineElement, PointElement, LinearScale, CategoryScale, Legend, Tooltip, Filler);

const COLOURS = { published: '#2563eb', delivered: '#059669', failed: '#dc2626' } as const;

/** Published, delivered and failed per minute; in Arabic, time runs right to left. */
export function TrafficChart({ series }: { readonly series: Dashboard['series'] }) {
  const { t, fmt, lang } = useConsole();
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const rtl = dirOf(lang) === 'rtl';
    const line = (key: keyof typeof COLOURS, label: string) => ({
      label,
      data: series.map((p) => p[key]),
      borderColor: COLOURS[key],
      backgroundColor: `${COLOURS[key]}22`,
      fill: key === 'published',
      tension: 0.3,
      pointRadius: 2,
    });
    const chart = new Chart(canvas.current!, {
      type: 'line',
      data: {
        labels: series.map((p) => fmt.time(p.t)),
        datasets: [line('published', t('dashboard.published')), line('delivered', t('dashboard.delivered')), line('failed', t('dashboard.failed'))],
      },
      options: {
        animation: false,
        maintainAspectRatio: false,
        locale: lang === 'ar' ? 'ar-OM' : 'en-GB',
        scales: { x: { reverse: rtl }, y: { beginAtZero: true, position: rtl ? 'right' : 'left', ticks: { precision: 0 } } },
        plugins: { legend: { rtl, position: 'bottom' }, tooltip: { rtl } },
      },
    });
    return () => chart.destroy();
  }, [series, lang, t, fmt]);
  return (
    <div class="chart" data-testid="traffic-chart">
      <canvas ref={canvas} role="img" aria-label={t('dashboard.perMinute')} />
    </div>
  );
}
