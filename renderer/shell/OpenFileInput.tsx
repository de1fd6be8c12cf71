// The "open a bundle" file input, styled as a button: the header and the start screen both use it.
// With `keepHandle` (the web build in Chromium), a click opens the handle picker instead of the
// input's own dialog, so the file reopens later from the recent list (recent-open.ts).
import { useRef } from 'react';
import type { ReactNode } from 'react';
import type { ReopenHandle } from '../recent-open';
import { handlePicker, pickWithHandle } from '../recent-open';

const ACCEPT = '.evb,application/vnd.exhibit.evidence-bundle+zip,application/zip';

export type OnFile = (file: File, handle?: Promise<ReopenHandle | null>) => void;

export function OpenFileInput({
  className,
  testId,
  onFile,
  keepHandle = false,
  children,
}: {
  className: string;
  testId?: string;
  onFile: OnFile;
  keepHandle?: boolean;
  children: ReactNode;
}) {
  const input = useRef<HTMLInputElement>(null);
  return (
    <label className={className}>
      {children}
      <input
        ref={input}
        type="file"
        className="sr-only"
        accept={ACCEPT}
        data-testid={testId}
        onClick={
          keepHandle
            ? (e) => {
                // A click on the label or a key press on the input both arrive here.
                const picker = handlePicker();
                if (!picker) return;
                e.preventDefault();
                void pickWithHandle(picker).then((picked) => {
                  if (picked.kind === 'file') onFile(picked.file, Promise.resolve(picked.handle));
                  // The picker refused (not a user gesture, a policy): the input's own dialog still works.
                  else if (picked.kind === 'failed') input.current?.showPicker?.();
                });
              }
            : undefined
        }
        onChange={(e) => {
          const file = e.target.files?.[0];
          e.target.value = '';
          if (file) onFile(file);
        }}
      />
    </label>
  );
}
