import { RxporterError } from '../errors';
import { fields, lines, parseUint } from './parse';

/** The values of each line of an XFS stats file, keyed by its label ("extent_alloc", "rw", …). */
export type XfsStats = ReadonlyMap<string, readonly number[]>;

/** Value counts procfs requires of the sections node_exporter reports. */
const SECTION_LENGTHS: Readonly<Record<string, readonly number[]>> = {
  extent_alloc: [4],
  abt: [4],
  blk_map: [7],
  bmbt: [4],
  dir: [4],
  ig: [7],
  rw: [2],
  vnodes: [7, 8],
};

/**
 * Returns the sections of <sysfs>/fs/xfs/<dev>/stats/stats (same format as /proc/fs/xfs/stat).
 *   "extent_alloc 1 872 0 0" → Map { 'extent_alloc' => [1, 872, 0, 0] }
 * Throws RXP_PROC_PARSE for a non-number anywhere, and for a reported section with the
 * wrong number of values (as procfs).
 */
export function parseXfsStats(text: string): XfsStats {
  const out = new Map<string, number[]>();
  for (const line of lines(text)) {
    const p = fields(line);
    if (p.length < 2) continue;
    let label = p[0];
    let from = 1;
    if (label === 'gc' && p.length >= 3 && p[1] === 'xpc') {
      label = 'gc xpc';
      from = 2;
    }
    const wide = label === 'xpc' || label === 'defer_relog' || label === 'gc xpc';
    const values: number[] = [];
    for (let i = from; i < p.length; i++) {
      const v = parseUint(p[i]);
      if (Number.isNaN(v) || (!wide && v > 0xffffffff)) throw new RxporterError('RXP_PROC_PARSE', `xfs stats: invalid value in line ${JSON.stringify(line)}`);
      values.push(v);
    }
    const want = SECTION_LENGTHS[label];
    if (want && !want.includes(values.length)) {
      throw new RxporterError('RXP_PROC_PARSE', `xfs stats: incorrect number of values for ${label}: ${values.length}`);
    }
    out.set(label, values);
  }
  return out;
}

/** node_exporter's xfs counters: metric name (after node_xfs_), help, section and index. */
export const XFS_METRICS: readonly (readonly [string, string, string, number])[] = [
  ['extent_allocation_extents_allocated_total', 'Number of extents allocated for a filesystem.', 'extent_alloc', 0],
  ['extent_allocation_blocks_allocated_total', 'Number of blocks allocated for a filesystem.', 'extent_alloc', 1],
  ['extent_allocation_extents_freed_total', 'Number of extents freed for a filesystem.', 'extent_alloc', 2],
  ['extent_allocation_blocks_freed_total', 'Number of blocks freed for a filesystem.', 'extent_alloc', 3],
  ['allocation_btree_lookups_total', 'Number of allocation B-tree lookups for a filesystem.', 'abt', 0],
  ['allocation_btree_compares_total', 'Number of allocation B-tree compares for a filesystem.', 'abt', 1],
  ['allocation_btree_records_inserted_total', 'Number of allocation B-tree records inserted for a filesystem.', 'abt', 2],
  ['allocation_btree_records_deleted_total', 'Number of allocation B-tree records deleted for a filesystem.', 'abt', 3],
  ['block_mapping_reads_total', 'Number of block map for read operations for a filesystem.', 'blk_map', 0],
  ['block_mapping_writes_total', 'Number of block map for write operations for a filesystem.', 'blk_map', 1],
  ['block_mapping_unmaps_total', 'Number of block unmaps (deletes) for a filesystem.', 'blk_map', 2],
  ['block_mapping_extent_list_insertions_total', 'Number of extent list insertions for a filesystem.', 'blk_map', 3],
  ['block_mapping_extent_list_deletions_total', 'Number of extent list deletions for a filesystem.', 'blk_map', 4],
  ['block_mapping_extent_list_lookups_total', 'Number of extent list lookups for a filesystem.', 'blk_map', 5],
  ['block_mapping_extent_list_compares_total', 'Number of extent list compares for a filesystem.', 'blk_map', 6],
  ['block_map_btree_lookups_total', 'Number of block map B-tree lookups for a filesystem.', 'bmbt', 0],
  ['block_map_btree_compares_total', 'Number of block map B-tree compares for a filesystem.', 'bmbt', 1],
  ['block_map_btree_records_inserted_total', 'Number of block map B-tree records inserted for a filesystem.', 'bmbt', 2],
  ['block_map_btree_records_deleted_total', 'Number of block map B-tree records deleted for a filesystem.', 'bmbt', 3],
  ['directory_operation_lookup_total', 'Number of file name directory lookups which miss the operating systems directory name lookup cache.', 'dir', 0],
  ['directory_operation_create_total', 'Number of times a new directory entry was created for a filesystem.', 'dir', 1],
  ['directory_operation_remove_total', 'Number of times an existing directory entry was created for a filesystem.', 'dir', 2],
  ['directory_operation_getdents_total', 'Number of times the directory getdents operation was performed for a filesystem.', 'dir', 3],
  ['inode_operation_attempts_total', 'Number of times the OS looked for an XFS inode in the inode cache.', 'ig', 0],
  ['inode_operation_found_total', 'Number of times the OS looked for and found an XFS inode in the inode cache.', 'ig', 1],
  ['inode_operation_recycled_total', 'Number of times the OS found an XFS inode in the cache, but could not use it as it was being recycled.', 'ig', 2],
  ['inode_operation_missed_total', 'Number of times the OS looked for an XFS inode in the cache, but did not find it.', 'ig', 3],
  ['inode_operation_duplicates_total', 'Number of times the OS tried to add a missing XFS inode to the inode cache, but found it had already been added by another process.', 'ig', 4],
  ['inode_operation_reclaims_total', 'Number of times the OS reclaimed an XFS inode from the inode cache to free memory for another purpose.', 'ig', 5],
  ['inode_operation_attribute_changes_total', 'Number of times the OS explicitly changed the attributes of an XFS inode.', 'ig', 6],
  ['read_calls_total', 'Number of read(2) system calls made to files in a filesystem.', 'rw', 1],
  ['write_calls_total', 'Number of write(2) system calls made to files in a filesystem.', 'rw', 0],
  ['vnode_active_total', 'Number of vnodes not on free lists for a filesystem.', 'vnodes', 0],
  ['vnode_allocate_total', 'Number of times vn_alloc called for a filesystem.', 'vnodes', 1],
  ['vnode_get_total', 'Number of times vn_get called for a filesystem.', 'vnodes', 2],
  ['vnode_hold_total', 'Number of times vn_hold called for a filesystem.', 'vnodes', 3],
  ['vnode_release_total', 'Number of times vn_rele called for a filesystem.', 'vnodes', 4],
  ['vnode_reclaim_total', 'Number of times vn_reclaim called for a filesystem.', 'vnodes', 5],
  ['vnode_remove_total', 'Number of times vn_remove called for a filesystem.', 'vnodes', 6],
];
