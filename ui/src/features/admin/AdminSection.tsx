import { useId, type ReactNode } from "react";

interface Props {
  title: string;
  /** One line under the title: what the section is for. */
  hint?: string;
  testId?: string;
  children: ReactNode;
}

/** One titled section of the Help@Work admin page, labelled by its heading. */
export function AdminSection({ title, hint, testId, children }: Props) {
  const id = useId();
  return (
    <section className="admin-section" aria-labelledby={id} data-testid={testId}>
      <h2 id={id} className="admin-section__title">
        {title}
      </h2>
      {hint !== undefined && <p className="admin-section__hint muted">{hint}</p>}
      {children}
    </section>
  );
}
