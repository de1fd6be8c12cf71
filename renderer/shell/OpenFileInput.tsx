// The "open a bundle" file input, styled as a button: the header and the start screen both use it.
import type { ReactNode } from 'react';

const ACCEPT = '.evb,application/vnd.exhibit.evidence-bundle+zip,application/zip';

export function OpenFileInput({
  className,
  testId,
  onFile,
  children,
}: {
  className: string;
  testId?: string;
  onFile: (file: File) => void;
  children: ReactNode;
}) {
  return (
    <label className={className}>
      {children}
      <input
        type="file"
        className="sr-only"
        accept={ACCEPT}
        data-testid={testId}
        onChange={(e) => {
          const file = e.target.files?.[0];
          e.target.value = '';
          if (file) onFile(file);
        }}
      />
    </label>
  );
}
