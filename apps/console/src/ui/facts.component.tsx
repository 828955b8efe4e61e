import type { ComponentChildren } from 'preact';

/** One labelled value of a detail card (inside a `<dl class="facts">`). */
export function Fact({ label, children }: { readonly label: string; readonly children: ComponentChildren }) {
  return (
    <div class="fact">
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}
