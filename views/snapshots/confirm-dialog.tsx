/**
 * @module views/snapshots/confirm-dialog: the confirmations of a revert (what happens to a running VM: it takes
 * the snapshot's power state, and what was written since is lost) and of a delete. Confirming posts to the same
 * URL; the answer replaces the Snapshots section and empties `#modal` (out of band).
 */
import type { SnapshotView } from '../../src/snapshots/index.js';
import { Dialog, DialogFormActions } from '../components/dialog.js';
import { usePage } from '../page-context.js';

/** The revert or delete confirmation of snapshot `s` of VM `vmId` (`vmPower`: its power state now). */
export function SnapshotConfirmDialog(props: {
  action: 'revert' | 'delete';
  vmId: number;
  vmPower: string;
  s: SnapshotView;
}) {
  const { t } = usePage();
  const { s } = props;
  const state = t(`snapshots.state.${s.state as 'poweredOn'}`) ?? s.state;
  const url = `/virtual-machines/${props.vmId}/snapshots/${encodeURIComponent(s.moref)}/${props.action}`;
  const revert = props.action === 'revert';
  return (
    <Dialog
      testid={`snapshot-${props.action}-dialog`}
      title={t(revert ? 'snapshots.revert_title' : 'snapshots.delete_title', { name: s.name })}
    >
      <form hx-post={url} hx-target="#vm-snapshots" hx-swap="outerHTML">
        <p data-testid="snapshot-confirm-text">
          {revert
            ? t(props.vmPower === 'poweredOn' ? 'snapshots.revert_running' : 'snapshots.revert_stopped', {
                state,
              })
            : t('snapshots.delete_text')}
        </p>
        <DialogFormActions
          submitLabel={t(revert ? 'snapshots.revert_confirm' : 'snapshots.delete_confirm')}
          submitTestid="snapshot-confirm"
        />
      </form>
    </Dialog>
  );
}
