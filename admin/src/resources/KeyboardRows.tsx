import { forwardRef, type KeyboardEvent } from 'react';
import { DatagridBody, type DatagridBodyProps, DatagridRow, type DatagridRowProps } from 'react-admin';

/**
 * A list row that opens its record from the keyboard as a click does: it is
 * in the Tab order, and Enter (or Space) on it follows the row's link. Keys
 * pressed on a control inside the row (a link, a button) stay that control's.
 */
const KeyboardRow = forwardRef<HTMLTableRowElement, DatagridRowProps>(function KeyboardRow(props, ref) {
  if (props.rowClick === false) return <DatagridRow ref={ref} {...props} />;
  const open = (e: KeyboardEvent<HTMLTableRowElement>) => {
    if (e.target !== e.currentTarget || (e.key !== 'Enter' && e.key !== ' ')) return;
    e.preventDefault();
    e.currentTarget.click();
  };
  return <DatagridRow ref={ref} tabIndex={0} onKeyDown={open} {...props} />;
});

/** Every Datagrid's body (set once in the theme), so every list and every ICP tab gets keyboard rows. */
export const KeyboardDatagridBody = forwardRef<HTMLTableSectionElement, DatagridBodyProps>(
  function KeyboardDatagridBody(props, ref) {
    return <DatagridBody ref={ref} row={<KeyboardRow />} {...props} />;
  },
);
