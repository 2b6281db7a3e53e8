"use client";

import { Modal } from "@/components/ui/modal";

export const SHORTCUTS: { keys: string[]; does: string }[] = [
  { keys: ["j"], does: "Next request" },
  { keys: ["k"], does: "Previous request" },
  { keys: ["x"], does: "Select or unselect the current request (Waiting on me)" },
  { keys: ["a"], does: "Approve the selected requests, or the current one when none is selected" },
  { keys: ["r"], does: "Reject the selected requests, or the current one when none is selected" },
  { keys: ["?"], does: "Show these shortcuts" },
];

export function ShortcutList() {
  return (
    <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
      {SHORTCUTS.map((s) => (
        <div key={s.keys.join()} className="contents">
          <dt>
            {s.keys.map((k) => (
              <kbd key={k} className="rounded border border-slate-300 bg-slate-50 px-1.5 py-0.5 font-mono text-xs shadow-sm">
                {k}
              </kbd>
            ))}
          </dt>
          <dd className="text-slate-700">{s.does}</dd>
        </div>
      ))}
    </dl>
  );
}

export function ShortcutsHelp({ onClose }: { onClose: () => void }) {
  return (
    <Modal title="Keyboard shortcuts" description="They work anywhere on this page except while you type in a field or a dialog is open." onClose={onClose}>
      <ShortcutList />
      <div className="mt-4 flex justify-end">
        <button type="button" className="btn-primary" onClick={onClose}>
          Close
        </button>
      </div>
    </Modal>
  );
}
