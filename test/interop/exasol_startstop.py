#!/usr/bin/env python3
"""A cluster start and stop in the style of Exasol's own scripts (exasol/exaoperation-xmlrpc,
tools-and-examples/startstop/start.py and stop.py), written here from their call sequence only.

What makes it "their style", and what the simulator must therefore accept:
  * one ServerProxy per object (cluster, storage, db_<name>, each node), created once and reused
    across the whole run, idle pauses included (the scripts sleep between calls);
  * start: every node that is not 'Running' gets startupNode() through its node object; wait until
    every node object says 'Running'; `if not serviceIsOnline() and startEXAStorage() != 'OK'`
    fail; then startDatabase() for every database whose runningDatabase() is False, right away;
  * stop: the EXAoperation host is 'n%04d' % getCurrentLicenseServer(); shutdownDatabase() every
    database whose runningDatabase() is True, and poll runningDatabase() until all are False; then
    stopEXAStorage() if serviceIsOnline(), and poll until it is False; shutdownNode() through each
    data node's object, and wait while any says 'Running'; pause; haltLicenseServer(host).

Usage: exasol_startstop.py start|stop. Configuration from the environment (never argv):
  SIM_URL, SIM_USER, SIM_PASSWORD, SIM_CAFILE (https), POLL_SECONDS (default 5),
  DEADLINE_SECONDS (default 1800), IDLE_SECONDS (the pause on a reused proxy; default 10).
Exits 0 on success, 1 with a message on stderr. The password is never printed.
"""

import os
import ssl
import sys
import time
import xmlrpc.client
from urllib.parse import quote, urlsplit, urlunsplit


class Failure(Exception):
    pass


def setting(name, default=None):
    value = os.environ.get(name, default)
    if value in (None, ''):
        raise Failure('environment variable {} is required'.format(name))
    return value


URL = setting('SIM_URL')
USER = setting('SIM_USER')
PASSWORD = setting('SIM_PASSWORD')
CAFILE = os.environ.get('SIM_CAFILE') or None
POLL = float(setting('POLL_SECONDS', '5'))
DEADLINE = float(setting('DEADLINE_SECONDS', '1800'))
IDLE = float(setting('IDLE_SECONDS', '10'))


def redact(text):
    text = str(text)
    for secret in {PASSWORD, quote(PASSWORD, safe='')}:
        text = text.replace(secret, '***')
    return text


def object_url(path=''):
    # The scripts put the credentials into the URL; quote() keeps every character of the password.
    parts = urlsplit(URL)
    netloc = '{}:{}@{}'.format(quote(USER, safe=''), quote(PASSWORD, safe=''), parts.netloc)
    return urlunsplit((parts.scheme, netloc, parts.path.rstrip('/') + path, '', ''))


CONTEXT = ssl.create_default_context(cafile=CAFILE) if URL.startswith('https:') else None
PROXIES = {}


def proxy(path=''):
    """One proxy per object for the whole run, as the scripts keep theirs."""
    if path not in PROXIES:
        kwargs = {'allow_none': True}
        if CONTEXT is not None:
            kwargs['context'] = CONTEXT
        PROXIES[path] = xmlrpc.client.ServerProxy(object_url(path), **kwargs)
    return PROXIES[path]


def wait(what, done):
    deadline = time.monotonic() + DEADLINE
    while not done():
        if time.monotonic() > deadline:
            raise Failure('gave up waiting until {}'.format(what))
        time.sleep(POLL)


def say(text):
    print(text, flush=True)


def start():
    cluster = proxy()
    nodes = cluster.getNodeList()
    for name in nodes:
        node = proxy('/' + name)
        if node.getNodeState()['status'] != 'Running':
            node.startupNode()
            say('powered on {}'.format(name))
    wait('every node is Running', lambda: all(proxy('/' + n).getNodeState()['status'] == 'Running' for n in nodes))
    say('all {} nodes are Running'.format(len(nodes)))
    # The pause the scripts make before the next step, on a proxy used before it.
    time.sleep(IDLE)
    databases = cluster.getDatabaseList()
    storage = proxy('/storage')
    if not storage.serviceIsOnline() and storage.startEXAStorage() != 'OK':
        raise Failure('startEXAStorage did not answer OK')
    say('EXAStorage started')
    for db in databases:
        database = proxy('/db_' + db)
        if not database.runningDatabase():
            database.startDatabase()
            say('started database {}'.format(db))
    wait('every database is connectible', lambda: all(proxy('/db_' + d).getDatabaseConnectionState() == 'Yes' for d in databases))
    say('all {} databases accept connections'.format(len(databases)))


def stop():
    cluster = proxy()
    host = 'n%0.4i' % cluster.getCurrentLicenseServer()
    databases = cluster.getDatabaseList()
    for db in databases:
        database = proxy('/db_' + db)
        if database.runningDatabase():
            database.shutdownDatabase()
            say('shutting down database {}'.format(db))
    wait('no database is running', lambda: not any(proxy('/db_' + d).runningDatabase() for d in databases))
    storage = proxy('/storage')
    if storage.serviceIsOnline():
        storage.stopEXAStorage()
        say('stopping EXAStorage')
    wait('EXAStorage is offline', lambda: not storage.serviceIsOnline())
    nodes = cluster.getNodeList()
    for name in nodes:
        proxy('/' + name).shutdownNode()
        say('shutting down {}'.format(name))
    wait('no data node is Running', lambda: not any(proxy('/' + n).getNodeState()['status'] == 'Running' for n in nodes))
    say('all {} data nodes are down'.format(len(nodes)))
    time.sleep(IDLE)
    cluster.haltLicenseServer(host)
    say('halted license server {}'.format(host))


def main():
    action = sys.argv[1] if len(sys.argv) > 1 else ''
    if action not in ('start', 'stop'):
        print('usage: exasol_startstop.py start|stop', file=sys.stderr)
        return 2
    try:
        start() if action == 'start' else stop()
        return 0
    except (Failure, xmlrpc.client.Error, OSError) as error:
        print('{} failed: {}: {}'.format(action, type(error).__name__, redact(error)), file=sys.stderr)
        return 1


if __name__ == '__main__':
    sys.exit(main())
