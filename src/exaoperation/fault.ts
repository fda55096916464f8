/**
 * EXAoperation runs on zope.publisher, which wraps every exception as
 * `Fault(-1, "Unexpected Zope exception: <ExcName>: <text>")` (reference §6.1). We parse that
 * shape once here so nothing else matches on fault strings.
 */
export interface ParsedFault {
  readonly code: number;
  readonly exception: string; // 'NotFound', 'UsageError', … or '' when the shape is unknown
  readonly text: string;
}

const ZOPE_FAULT = /^Unexpected Zope (?:exception|error value): (\w+): ([\s\S]*)$/;

export function parseFault(faultCode: unknown, faultString: unknown): ParsedFault {
  const code = typeof faultCode === 'number' ? faultCode : Number(faultCode ?? NaN);
  const raw = typeof faultString === 'string' ? faultString : String(faultString ?? '');
  const match = ZOPE_FAULT.exec(raw);
  return match
    ? { code, exception: match[1] ?? '', text: (match[2] ?? '').trim() }
    : { code, exception: '', text: raw.trim() };
}

/** NotFound says `Object: <…>, name: 'db_wrongname'`: the name is what a user typed wrong. */
export function notFoundName(fault: ParsedFault): string | undefined {
  return /name: '([^']*)'/.exec(fault.text)?.[1];
}
