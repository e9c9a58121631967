/**
 * Just enough of the protobuf wire format to read an OTLP ExportTraceServiceRequest in the tests.
 * Written by hand rather than borrowed from protobufjs, which is only a transitive dependency of the
 * exporter (and may go away in a later version): the tests check what went over the wire, so they
 * should not need the exporter's own machinery to read it back.
 *
 * Field numbers from opentelemetry-proto (collector/trace/v1, trace/v1, common/v1).
 */

type Field = {readonly number: number; readonly wireType: number; readonly value: bigint | Buffer};

/** The top-level fields of one message, in order; varints as bigint, length-delimited as bytes. */
export function readFields(buffer: Buffer): Field[] {
  const fields: Field[] = [];
  let offset = 0;
  const varint = (): bigint => {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      const byte = buffer[offset++];
      if (byte === undefined) throw new Error('truncated varint');
      result |= BigInt(byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return result;
      shift += 7n;
    }
  };
  while (offset < buffer.length) {
    const key = Number(varint());
    const number = key >> 3;
    const wireType = key & 7;
    if (wireType === 0) fields.push({number, wireType, value: varint()});
    else if (wireType === 2) {
      const length = Number(varint());
      fields.push({number, wireType, value: buffer.subarray(offset, offset + length)});
      offset += length;
    } else if (wireType === 1) {
      fields.push({number, wireType, value: buffer.subarray(offset, offset + 8)});
      offset += 8;
    } else if (wireType === 5) {
      fields.push({number, wireType, value: buffer.subarray(offset, offset + 4)});
      offset += 4;
    } else throw new Error(`unsupported wire type ${wireType}`);
  }
  return fields;
}

function bytesOf(fields: Field[], number: number): Buffer[] {
  return fields
    .filter((field) => field.number === number && Buffer.isBuffer(field.value))
    .map((f) => f.value as Buffer);
}

export interface WireSpan {
  readonly traceId: string;
  readonly spanId: string;
  readonly parentSpanId: string;
  readonly name: string;
  readonly statusCode: number;
}

/**
 * ExportTraceServiceRequest.resource_spans (1) → ResourceSpans.scope_spans (2) → ScopeSpans.spans
 * (2) → Span: trace_id 1, span_id 2, parent_span_id 4, name 5, status 15 (Status.code 3).
 */
export function decodeSpans(body: Buffer): WireSpan[] {
  const spans: WireSpan[] = [];
  for (const resourceSpans of bytesOf(readFields(body), 1)) {
    for (const scopeSpans of bytesOf(readFields(resourceSpans), 2)) {
      for (const span of bytesOf(readFields(scopeSpans), 2)) {
        const fields = readFields(span);
        const status = bytesOf(fields, 15)[0];
        const code =
          status === undefined ? undefined : readFields(status).find((field) => field.number === 3);
        spans.push({
          traceId: bytesOf(fields, 1)[0]?.toString('hex') ?? '',
          spanId: bytesOf(fields, 2)[0]?.toString('hex') ?? '',
          parentSpanId: bytesOf(fields, 4)[0]?.toString('hex') ?? '',
          name: bytesOf(fields, 5)[0]?.toString('utf8') ?? '',
          statusCode: code === undefined ? 0 : Number(code.value),
        });
      }
    }
  }
  return spans;
}
