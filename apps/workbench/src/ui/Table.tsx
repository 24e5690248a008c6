import type { Key, ReactNode } from 'react';

export interface TableColumn<Row> {
  key: string;
  header: ReactNode;
  render: (row: Row) => ReactNode;
  align?: 'start' | 'end' | 'center';
  /** CSS width, e.g. '8rem'. */
  width?: string;
}

export interface TableProps<Row> {
  columns: readonly TableColumn<Row>[];
  rows: readonly Row[];
  rowKey: (row: Row) => Key;
  /** Visible caption; also names the table for screen readers. */
  caption?: ReactNode;
  /** Shown in one cell when there are no rows. */
  empty?: ReactNode;
  onRowClick?: (row: Row) => void;
  className?: string;
}

/** A plain data table with a header row. */
export function Table<Row>({ columns, rows, rowKey, caption, empty = 'Nothing here yet.', onRowClick, className }: TableProps<Row>) {
  return (
    <div className={['fd-table-wrap', className].filter(Boolean).join(' ')}>
      <table className="fd-table">
        {caption && <caption>{caption}</caption>}
        <thead>
          <tr>
            {columns.map((column) => (
              <th key={column.key} scope="col" style={{ textAlign: column.align ?? 'start', width: column.width }}>{column.header}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.length === 0 ? (
            <tr><td className="fd-table__empty" colSpan={columns.length}>{empty}</td></tr>
          ) : rows.map((row) => (
            <tr key={rowKey(row)} className={onRowClick ? 'fd-table__row--clickable' : undefined} onClick={onRowClick ? () => onRowClick(row) : undefined}>
              {columns.map((column) => (
                <td key={column.key} style={{ textAlign: column.align ?? 'start' }}>{column.render(row)}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
