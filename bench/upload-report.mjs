/** The upload ingest results as a table of medians, the ratios, and one line of verdict. */

const mebibyte = 1024 * 1024;

/**
 * `samples` holds one entry per run, each measurement as `{ seconds, cpu }`: `kernelCopy`,
 * `streamedCopy` and `aes`; `ingest`, the one-PATCH upload (with `tailSeconds`, from its last
 * byte sent to the answer); `split`, the same upload as `receiving` (all parts but the last)
 * then `final` (the last part, which finalises), each with its `bytes`.
 */
export function formatUploadReport({ bytes, samples }) {
  const pick = (select) => samples.map(select);
  const receivingBytes = samples[0].split.receiving.bytes;
  const finalBytes = samples[0].split.final.bytes;
  // The final PATCH also carries a part: take off what that part costs at the receiving rate.
  const finalisation = pick(({ split }) => ({
    seconds: split.final.seconds - (finalBytes * split.receiving.seconds) / receivingBytes,
    cpu: split.final.cpu - (finalBytes * split.receiving.cpu) / receivingBytes,
  }));

  const seconds = {
    kernelCopy: median(pick((run) => run.kernelCopy.seconds)),
    streamedCopy: median(pick((run) => run.streamedCopy.seconds)),
    aes: median(pick((run) => run.aes.seconds)),
    ingest: median(pick((run) => run.ingest.seconds)),
  };

  const rows = [
    ['', 'MiB/s', 'seconds', 'CPU s', 'each run (s)'],
    timed(
      'plain copy: fs.copyFile + fsync',
      pick((run) => run.kernelCopy),
    ),
    timed(
      'plain copy: read → write stream + fsync',
      pick((run) => run.streamedCopy),
    ),
    timed(
      'AES-256-GCM: node crypto, 64 KiB chunks',
      pick((run) => run.aes),
    ),
    timed(
      'Lectern ingest: one PATCH, first byte → 204',
      pick((run) => run.ingest),
    ),
    timed(
      '  of which after the last byte left',
      pick((run) => ({ seconds: run.ingest.tailSeconds })),
      0,
    ),
    timed(
      `split: PATCH of the first ${mib(receivingBytes)} MiB`,
      pick((run) => run.split.receiving),
      receivingBytes,
    ),
    timed(
      `split: final PATCH of ${mib(finalBytes)} MiB`,
      pick((run) => run.split.final),
      0,
    ),
    timed('  ≈ finalisation (join, ffprobe, rows)', finalisation, 0),
    [],
    ratioRow('ratio ingest / plain copy (streamed)', seconds.streamedCopy / seconds.ingest),
    ratioRow('ratio ingest / plain copy (copyFile)', seconds.kernelCopy / seconds.ingest),
    ratioRow('ratio ingest / AES-256-GCM', seconds.aes / seconds.ingest),
  ];

  function timed(label, entries, size = bytes) {
    const middle = median(entries.map((entry) => entry.seconds));
    const cpu = entries.every((entry) => entry.cpu !== undefined)
      ? median(entries.map((entry) => entry.cpu)).toFixed(2)
      : '';
    return [
      label,
      size > 0 ? (size / mebibyte / middle).toFixed(1) : '',
      middle.toFixed(2),
      cpu,
      entries.map((entry) => entry.seconds.toFixed(2)).join('  '),
    ];
  }

  const conclusion =
    `Conclusion: Lectern ingests at ${percent(seconds.streamedCopy / seconds.ingest)} of a ` +
    `streamed copy's rate and ${percent(seconds.aes / seconds.ingest)} of raw AES-256-GCM's; ` +
    `finalising the upload takes about ${median(finalisation.map((entry) => entry.seconds)).toFixed(1)} s ` +
    `of its ${seconds.ingest.toFixed(1)} s.`;
  return [...formatTable(rows), '', conclusion].join('\n');
}

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

function ratioRow(label, value) {
  return [label, `${value.toFixed(3)}×`, '', '', ''];
}

function mib(bytes) {
  return (bytes / mebibyte).toFixed(0);
}

function percent(value) {
  return `${(value * 100).toFixed(1)} %`;
}

function formatTable(rows) {
  const filled = rows.filter((cells) => cells.length > 0);
  const widths = filled[0].map((_, column) =>
    Math.max(...filled.map((cells) => cells[column].length)),
  );
  return rows.map((cells) =>
    cells
      .map((cell, column) =>
        column === 0 || column === cells.length - 1
          ? cell.padEnd(widths[column])
          : cell.padStart(widths[column]),
      )
      .join('  ')
      .trimEnd(),
  );
}
