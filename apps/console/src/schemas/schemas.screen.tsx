import { useEffect, useState } from 'preact/hooks';
import type { SchemaVersion } from '@rabt/ops-contracts';
import { useConsole, useLoad } from '../app/console.context';
import { hrefOf } from '../app/route';
import { Code } from '../ui/badges.component';
import { LoadedView, num, Table } from '../ui/loaded.component';
import { foldUnchanged, hasChanges, schemaDiff } from './schema.diff';

export function SchemasScreen({ subject }: { readonly subject?: string | undefined }) {
  const { t, fmt, api } = useConsole();
  const subjects = useLoad(() => api.schemas(), []);
  return (
    <section data-testid="schemas">
      <div class="page-head">
        <h1>{t('schemas.title')}</h1>
      </div>
      <div class="split">
        <div class="card flush list-pane">
          <LoadedView loaded={subjects}>
            {(data) => (
              <Table testid="subject-table" columns={[t('schemas.type'), t('schemas.owner'), num(t('schemas.latestVersion'))]}>
                {data.items.map((s) => (
                  <tr key={s.subject} class={s.subject === subject ? 'selected' : ''} data-testid="subject-row" data-subject={s.subject}>
                    <td>
                      <a href={hrefOf({ name: 'schemas', subject: s.subject })}>
                        <Code value={s.type ?? s.subject} />
                      </a>
                    </td>
                    <td>{s.owner ? <Code value={s.owner} /> : t('common.none')}</td>
                    <td class="num">{fmt.number(s.latestVersion)}</td>
                  </tr>
                ))}
              </Table>
            )}
          </LoadedView>
        </div>
        <div class="detail-pane">{subject ? <Versions subject={subject} compatibility={subjects.data?.items.find((s) => s.subject === subject)?.compatibility} /> : <p class="muted card">{t('schemas.pick')}</p>}</div>
      </div>
    </section>
  );
}

function Versions({ subject, compatibility }: { readonly subject: string; readonly compatibility?: string | undefined }) {
  const { api } = useConsole();
  const versions = useLoad(() => api.schemaVersions(subject), [subject]);
  return (
    <LoadedView loaded={versions} isEmpty={(d) => d.items.length === 0}>
      {(data) => <VersionsAndDiff subject={subject} compatibility={compatibility} items={data.items} />}
    </LoadedView>
  );
}

function VersionsAndDiff({ subject, compatibility, items }: { readonly subject: string; readonly compatibility?: string | undefined; readonly items: readonly SchemaVersion[] }) {
  const { t, fmt } = useConsole();
  const [from, setFrom] = useState<number | null>(null);
  const [to, setTo] = useState<number | null>(null);
  useEffect(() => {
    const sorted = [...items].sort((a, b) => a.version - b.version);
    setTo(sorted.at(-1)?.version ?? null);
    setFrom(sorted.at(-2)?.version ?? sorted.at(-1)?.version ?? null);
  }, [items]);

  const pick = (v: number | null) => items.find((x) => x.version === v);
  const before = pick(from);
  const after = pick(to);
  return (
    <div class="card" data-testid="schema-versions">
      <h2>
        <Code value={subject} />
      </h2>
      <p class="muted">
        {t('schemas.compatibility')}: <Code value={compatibility ?? '—'} /> · {t('schemas.versions')}: {fmt.number(items.length)}
      </p>
      <ul class="versions">
        {items.map((v) => (
          <li key={v.version} data-testid="schema-version">
            <strong>{t('schemas.version', { version: fmt.number(v.version) })}</strong> <span class="muted">{t('schemas.registeredAt', { at: fmt.dateTime(v.registeredAt) })}</span> <span class="muted">id {v.id}</span>
          </li>
        ))}
      </ul>
      <div class="filters inline">
        <VersionSelect label={t('schemas.diffFrom')} testid="diff-from" items={items} value={from} onChange={setFrom} />
        <VersionSelect label={t('schemas.diffTo')} testid="diff-to" items={items} value={to} onChange={setTo} />
      </div>
      {before && after ? <Diff before={before.schema} after={after.schema} /> : null}
    </div>
  );
}

function VersionSelect(props: { readonly label: string; readonly testid: string; readonly items: readonly SchemaVersion[]; readonly value: number | null; readonly onChange: (v: number) => void }) {
  const { fmt } = useConsole();
  return (
    <label class="field">
      <span>{props.label}</span>
      <select data-testid={props.testid} value={props.value ?? ''} onChange={(e) => props.onChange(Number(e.currentTarget.value))}>
        {props.items.map((v) => (
          <option key={v.version} value={v.version}>
            {fmt.number(v.version)}
          </option>
        ))}
      </select>
    </label>
  );
}

function Diff({ before, after }: { readonly before: string; readonly after: string }) {
  const { t, fmt } = useConsole();
  const lines = schemaDiff(before, after);
  return (
    <>
      <h3>{t('schemas.diff')}</h3>
      {!hasChanges(lines) ? <p class="notice subtle">{t('schemas.noChange')}</p> : null}
      <pre class="diff" dir="ltr" data-testid="schema-diff">
        {foldUnchanged(lines).map((l, i) =>
          l.kind === 'fold' ? (
            <div key={i} class="diff-fold" data-kind="fold">
              {t('schemas.unchangedLines', { count: fmt.number(l.count) })}
            </div>
          ) : (
            <div key={i} class={`diff-${l.kind}`} data-kind={l.kind}>
              <span class="diff-sign">{l.kind === 'added' ? '+' : l.kind === 'removed' ? '−' : ' '}</span>
              {l.text}
            </div>
          ),
        )}
      </pre>
    </>
  );
}
