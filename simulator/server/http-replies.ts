// The non-XML-RPC answers: zope sends HTML for 401 and 404, and every XML-RPC answer (faults too)
// goes out as HTTP 200 text/xml;charset=utf-8.
import type { ServerResponse } from 'node:http';

export const XML_CONTENT_TYPE = 'text/xml;charset=utf-8';

function send(res: ServerResponse, status: number, headers: Record<string, string>, body: string): void {
  if (res.writableEnded || res.destroyed) return;
  res.writeHead(status, { ...headers, 'Content-Length': String(Buffer.byteLength(body)) });
  res.end(body);
}

function html(title: string, text: string): string {
  return `<html><head><title>${title}</title></head><body><h2>${title}</h2><p>${text}</p></body></html>\n`;
}

export function sendXml(res: ServerResponse, xml: string): void {
  send(res, 200, { 'Content-Type': XML_CONTENT_TYPE }, xml);
}

export function sendUnauthorized(res: ServerResponse): void {
  send(
    res,
    401,
    { 'Content-Type': 'text/html;charset=utf-8', 'WWW-Authenticate': 'basic realm="Zope"' },
    html('Unauthorized', 'You are not authorized to access this resource.'),
  );
}

export function sendNotFound(res: ServerResponse): void {
  send(res, 404, { 'Content-Type': 'text/html;charset=utf-8' }, html('Not Found', 'The requested resource does not exist.'));
}

export function sendMethodNotAllowed(res: ServerResponse): void {
  send(res, 405, { 'Content-Type': 'text/html;charset=utf-8', Allow: 'POST' }, html('Method Not Allowed', 'XML-RPC requests use POST.'));
}

export function sendBadRequest(res: ServerResponse, reason: string): void {
  send(res, 400, { 'Content-Type': 'text/plain;charset=utf-8' }, `Bad Request: ${reason}\n`);
}

/** EXAoperation's web server is up before EXAoperation itself: it answers with an HTML error page. */
export function sendServiceUnavailable(res: ServerResponse): void {
  send(res, 503, { 'Content-Type': 'text/html;charset=utf-8', 'Retry-After': '10' }, html('Service Unavailable', 'EXAoperation is starting up.'));
}
