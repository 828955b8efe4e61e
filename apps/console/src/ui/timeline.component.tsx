import type { ComponentChildren } from 'preact';

export interface TimelineItem {
  readonly at: string;
  readonly title: ComponentChildren;
  readonly detail?: ComponentChildren;
  /** A CSS tone: good, bad, warn or neutral. */
  readonly tone?: string;
  readonly kind: string;
}

/** A vertical timeline; its rail sits on the inline-start side, so it flips in Arabic. */
export function Timeline({ items, time, testid }: { readonly items: readonly TimelineItem[]; readonly time: (iso: string) => string; readonly testid: string }) {
  return (
    <ol class="timeline" data-testid={testid}>
      {items.map((item, i) => (
        <li key={i} class={`tone-${item.tone ?? 'neutral'}`} data-testid="timeline-item" data-kind={item.kind}>
          <time dateTime={item.at}>{time(item.at)}</time>
          <div class="timeline-title">{item.title}</div>
          {item.detail ? <div class="timeline-detail">{item.detail}</div> : null}
        </li>
      ))}
    </ol>
  );
}
