// npm `xmlrpc` ships no types for its Serializer/Deserializer modules (and its main export does
// not expose them), so we declare the two deep imports we use. Shapes read from xmlrpc 1.3.2.

declare module 'xmlrpc/lib/serializer.js' {
  const serializer: {
    serializeMethodResponse(value: unknown): string;
    serializeFault(fault: { faultCode: number; faultString: string }): string;
    serializeMethodCall(method: string, params?: readonly unknown[], encoding?: string): string;
  };
  export = serializer;
}

declare module 'xmlrpc/lib/deserializer.js' {
  class Deserializer {
    constructor(encoding?: string);
    deserializeMethodCall(
      stream: NodeJS.ReadableStream,
      callback: (error: Error | null | undefined, methodName?: string, params?: unknown[]) => void,
    ): void;
    deserializeMethodResponse(stream: NodeJS.ReadableStream, callback: (error: Error | null | undefined, value?: unknown) => void): void;
  }
  export = Deserializer;
}
