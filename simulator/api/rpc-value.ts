// The values our methods return, as the xmlrpc serializer understands them (null becomes <nil/>).

export type RpcValue = null | boolean | number | string | readonly RpcValue[] | { readonly [key: string]: RpcValue };
