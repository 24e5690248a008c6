import { once } from 'node:events';
import { PassThrough, Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { csvLine, xlsxCell, type ExportValue } from './export-rows.ts';

export const EXPORT_FORMATS = ['csv', 'xlsx'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** Pages of records, read lazily: the next page is read only once the previous one is written. */
export type RecordPages = AsyncIterable<ExportValue[][]>;

/** CSV: a header line, then each page as it is read; the stream's backpressure paces the reads. */
function csvStream(columns: readonly string[], pages: RecordPages): Readable {
  return Readable.from(
    (async function* () {
      // NOTE: a UTF-8 byte order mark, so spreadsheet programs read names in any script correctly.
      yield `\uFEFF${csvLine(columns)}`;
      for await (const page of pages) yield page.map(csvLine).join('');
    })(),
    // One page ahead at most: the next page is read while the client takes this one.
    { highWaterMark: 1 },
  );
}

/**
 * XLSX through exceljs' streaming writer: each row is committed (written to the zip) as it is
 * added, so memory stays flat; after each page the writer waits while the response is behind.
 */
function xlsxStream(sheetName: string, columns: readonly string[], pages: RecordPages, onError: (err: unknown) => void): Readable {
  const out = new PassThrough({ highWaterMark: 1 << 20 });
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: false, useSharedStrings: false });
  const sheet = workbook.addWorksheet(sheetName);
  void (async () => {
    try {
      sheet.addRow([...columns]).commit();
      for await (const page of pages) {
        for (const record of page) sheet.addRow(record.map(xlsxCell)).commit();
        if (out.writableNeedDrain) await once(out, 'drain');
      }
      sheet.commit();
      await workbook.commit();
    } catch (err) {
      onError(err);
      out.destroy(err as Error);
    }
  })();
  return out;
}

export function exportStream(format: ExportFormat, sheetName: string, columns: readonly string[], pages: RecordPages, onError: (err: unknown) => void): Readable {
  return format === 'csv' ? csvStream(columns, pages) : xlsxStream(sheetName, columns, pages, onError);
}

export const CONTENT_TYPES: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};
