/**
 * One string per fingerprint, and its first sample: a log of 125,000 statements of a few shapes
 * keeps a few strings, not 125,000 copies. Only a fingerprint's first sample is ever shown
 * (analyzeStatements and the summary take the first), so records may share it.
 */
export class SampleTable {
  private readonly first = new Map<string, readonly [string, string]>();

  /** The shared [fingerprint, sample] of this fingerprint (this sample when it is new). */
  of(fingerprint: string, sample: string): readonly [string, string] {
    let entry = this.first.get(fingerprint);
    if (!entry) {
      entry = [fingerprint, sample];
      this.first.set(fingerprint, entry);
    }
    return entry;
  }
}
