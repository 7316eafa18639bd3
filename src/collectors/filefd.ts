import { defer, from } from 'rxjs';
import { gauge, type MetricFamily } from '../model/family';
import { parseFileNr } from '../procfs/file_nr';
import { readProcText } from '../procfs/read';
import { simpleDefinition, type Collector } from './types';

/** Returns node_filefd_allocated and node_filefd_maximum. */
export const filefdFamilies = (s: { allocated: number; maximum: number }): MetricFamily[] => [
  gauge('node_filefd_allocated', 'File descriptor statistics: allocated.', [{ labels: {}, value: s.allocated }]),
  gauge('node_filefd_maximum', 'File descriptor statistics: maximum.', [{ labels: {}, value: s.maximum }]),
];

/** The filefd collector: file handle usage from <procfs>/sys/fs/file-nr. */
export const filefd: Collector = {
  name: 'filefd',
  defaultEnabled: true,
  collect: (ctx) => defer(() => from(filefdFamilies(parseFileNr(readProcText(ctx.procPath, 'sys/fs/file-nr'))))),
};

/** The filefd collector's registration. */
export const filefdDefinition = simpleDefinition(filefd);
