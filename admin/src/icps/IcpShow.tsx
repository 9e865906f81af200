import type { ReactNode } from 'react';
import { EditButton, Show, TabbedShowLayout, TabbedShowLayoutTabs, TopToolbar, useRecordContext } from 'react-admin';
import { Stack, Typography } from '@mui/material';
import { RecordHistory } from '../history/RecordHistory';
import { IcpActivity } from '../history/IcpActivity';
import { ExportIcpButton } from './IcpFile';
import { IcpVersions } from './IcpVersions';
import { Overview } from './Overview';
import { PublishButton } from './PublishDialog';

/** An ICP's history is also that of its parts and its publishes; its own record's revisions follow. */
function HistoryTab() {
  const record = useRecordContext();
  if (!record) return null;
  return (
    <Stack spacing={3}>
      <IcpActivity icpId={String(record.id)} />
      <Typography variant="h6">The ICP record itself</Typography>
      <RecordHistory entityId={String(record.id)} />
    </Stack>
  );
}

/**
 * An ICP's page: the overview (the document, every part editable in place)
 * first, then the tabs that are not part of the document.
 */
export function IcpShow({ extraTabs }: { extraTabs?: ReactNode }) {
  return (
    <Show
      actions={
        <TopToolbar sx={{ flexWrap: 'wrap', gap: 1 }}>
          <PublishButton />
          <ExportIcpButton />
          <EditButton label="Edit profile" />
        </TopToolbar>
      }
      sx={{ '& .RaShow-card': { minWidth: 0, overflow: 'visible' }, minWidth: 0 }}
    >
      <TabbedShowLayout
        tabs={
          <TabbedShowLayoutTabs
            variant="scrollable"
            scrollButtons="auto"
            allowScrollButtonsMobile
            // The tab strip scrolls rather than widening the page: its width is the page's, not its labels'.
            sx={{ contain: 'inline-size' }}
          />
        }
      >
        <TabbedShowLayout.Tab label="Overview">
          <Overview />
        </TabbedShowLayout.Tab>
        {extraTabs}
        <TabbedShowLayout.Tab label="Versions" path="versions">
          <IcpVersions />
        </TabbedShowLayout.Tab>
        <TabbedShowLayout.Tab label="History" path="history">
          <HistoryTab />
        </TabbedShowLayout.Tab>
      </TabbedShowLayout>
    </Show>
  );
}
