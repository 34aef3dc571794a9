import { foreignKeyName, indexName, primaryKeyName, uniqueIndexName } from './names';

describe('Prisma default names', () => {
  it('follows <table>_pkey, <table>_<cols>_key, _idx and _fkey', () => {
    expect(primaryKeyName('unit')).toBe('unit_pkey');
    expect(uniqueIndexName('data_pack_import', ['edition', 'checksum'])).toBe('data_pack_import_edition_checksum_key');
    expect(indexName('unit', ['edition', 'start_utc'])).toBe('unit_edition_start_utc_idx');
    expect(foreignKeyName('Post', ['authorId'])).toBe('Post_authorId_fkey');
  });

  it('cuts long names to 63 characters keeping the suffix, as Prisma does', () => {
    const table = 'Thisisaveryveryverylongtablenamethatgoesonandonandonandonforever';
    const columns = ['someVeryLongColumnNameNumberOne', 'someVeryLongColumnNameNumberTwo'];
    // Names observed in Prisma 7.10's own migrate diff output.
    expect(primaryKeyName(table)).toBe('Thisisaveryveryverylongtablenamethatgoesonandonandonandonf_pkey');
    expect(indexName(table, columns)).toBe('Thisisaveryveryverylongtablenamethatgoesonandonandonandonfo_idx');
    expect(uniqueIndexName(table, columns)).toBe('Thisisaveryveryverylongtablenamethatgoesonandonandonandonfo_key');
    expect(foreignKeyName(table, ['userId'])).toBe('Thisisaveryveryverylongtablenamethatgoesonandonandonandonf_fkey');
    expect(indexName(table, columns)).toHaveLength(63);
  });
});
