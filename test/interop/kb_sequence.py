#!/usr/bin/env python3
"""Runs the start/stop sequence of Exasol's KB article "Starting and stopping clusters using XML-RPC"
against an EXAoperation endpoint, with nothing but the Python standard library.

It proves that the simulator answers the way legacy Python scripts expect: credentials in the URL
(quote_plus, as Exasol's own tools do), path URLs per object, at least one dotted call
(cluster.storage.startEXAStorage()), TLS verified against the server certificate as CA.

Configuration comes from the environment, never argv (argv is visible in `ps`):
  SIM_URL         cluster URL without credentials, e.g. https://127.0.0.1:8443/cluster1
  SIM_USER        EXAoperation user
  SIM_PASSWORD    its password
  SIM_CAFILE      PEM file to verify the server certificate with (https only)
  KB_POLL_SECONDS interval between polls (default 1.0)
  KB_DEADLINE_SECONDS  deadline for each wait (default 600)
  KB_PLUGIN       plugin to handle (default Administration.vmware-tools)

Exits 0 on success, 1 with a message on stderr on any failure. The password is never printed.
"""

import os
import re
import ssl
import sys
import time
import xmlrpc.client
from urllib.parse import quote_plus, urlsplit, urlunsplit

LICENSE_SERVER = 'n0010'
BOOT_FINISHED = re.compile(r'Boot process (?:finished after|stages 1 to 3 took) (\d+) seconds')


class KbFailure(Exception):
    pass


def env(name, default=None):
    value = os.environ.get(name, default)
    if value is None or value == '':
        raise KbFailure('environment variable {} is required'.format(name))
    return value


URL = env('SIM_URL')
USER = env('SIM_USER')
PASSWORD = env('SIM_PASSWORD')
CAFILE = os.environ.get('SIM_CAFILE') or None
POLL = float(env('KB_POLL_SECONDS', '1.0'))
DEADLINE = float(env('KB_DEADLINE_SECONDS', '600'))
PLUGIN = env('KB_PLUGIN', 'Administration.vmware-tools')


def redact(text):
    """Error texts from xmlrpc.client embed the URL, credentials included; strip them."""
    text = str(text)
    for secret in {PASSWORD, quote_plus(PASSWORD)}:
        text = text.replace(secret, '***')
    return text


def say(message):
    print(redact(message), flush=True)


def with_credentials(url):
    parts = urlsplit(url)
    netloc = '{}:{}@{}'.format(quote_plus(USER), quote_plus(PASSWORD), parts.netloc)
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))


def proxy(path=''):
    """ServerProxy for the cluster URL plus an object path, e.g. '/storage' or '/db_exa_db1'."""
    url = with_credentials(URL.rstrip('/') + path)
    context = ssl.create_default_context(cafile=CAFILE) if url.startswith('https:') else None
    return xmlrpc.client.ServerProxy(url, allow_none=True, context=context)


def wait_until(what, probe):
    """Polls probe() until it returns a truthy value; bounded by DEADLINE. Returns that value."""
    deadline = time.monotonic() + DEADLINE
    last_error = None
    while time.monotonic() < deadline:
        try:
            result = probe()
            if result:
                return result
        except (OSError, xmlrpc.client.ProtocolError) as error:
            last_error = error
        time.sleep(POLL)
    detail = '' if last_error is None else ' (last error: {})'.format(last_error)
    raise KbFailure('timed out after {:.0f} s waiting for {}{}'.format(DEADLINE, what, detail))


def expect(condition, message):
    if not condition:
        raise KbFailure(message)


def start_cluster(cluster, logservice):
    # 1. Wait until EXAoperation answers.
    nodes = wait_until('EXAoperation to answer getNodeList()', cluster.getNodeList)
    say('EXAoperation is up; data nodes: {}'.format(', '.join(nodes)))

    # 2. Power on the data nodes and wait for hardware info and the boot-finished message of each.
    for node in nodes:
        cluster.startupNode(node)

    def all_booted():
        online = [n for n in nodes if 'dmidecode' in cluster.getHardwareInformation(n)]
        booted = {e['node'] for e in logservice.logEntries()[2] if BOOT_FINISHED.search(e['message'])}
        return len(online) == len(nodes) and all(n in booted for n in nodes)

    wait_until('every node to boot', all_booted)
    say('all nodes booted')

    # 3. Start EXAStorage (dotted method name on the cluster proxy, as in the XML-RPC README).
    result = cluster.storage.startEXAStorage()
    expect(result == 'OK', 'startEXAStorage returned {!r}, expected OK'.format(result))
    wait_until('all services OK', lambda: all(state == 'OK' for _, state in cluster.getServiceState()))
    say('services: {}'.format(cluster.getServiceState()))

    # 4. Start every database and wait until it accepts connections.
    for db in cluster.getDatabaseList():
        instance = proxy('/db_{}'.format(quote_plus(db)))
        instance.startDatabase()
        wait_until('database {} to accept connections'.format(db), lambda: instance.getDatabaseConnectionState() == 'Yes')
        say('database {} is accepting connections at {}'.format(db, instance.getDatabaseConnectionString()))

    # 5. Plugin daemons: restart on the license server, start where not running.
    cluster.callPlugin(PLUGIN, LICENSE_SERVER, 'STOP')
    cluster.callPlugin(PLUGIN, LICENSE_SERVER, 'START')
    for node in nodes:
        if 'vmtoolsd is running' not in cluster.callPlugin(PLUGIN, node, 'STATUS')[1]:
            cluster.callPlugin(PLUGIN, node, 'START')
    for node in [LICENSE_SERVER] + nodes:
        status = cluster.callPlugin(PLUGIN, node, 'STATUS')
        expect('vmtoolsd is running' in status[1], 'plugin on {} reports {!r}'.format(node, status))
    say('plugin {} running on every node'.format(PLUGIN))
    return nodes


def stop_cluster(cluster, nodes):
    master = cluster.getEXAoperationMaster()
    expect(master == LICENSE_SERVER, 'node {} is the EXAoperation master but it should be {}'.format(master, LICENSE_SERVER))

    # 1. Databases.
    for db in cluster.getDatabaseList():
        instance = proxy('/db_{}'.format(quote_plus(db)))
        state = instance.getDatabaseState()
        if state == 'running':
            operation = instance.getDatabaseOperation()
            expect(operation == 'None', 'database {} is in operation {}'.format(db, operation))
            instance.stopDatabase()
            wait_until('database {} to stop'.format(db), lambda: instance.getDatabaseState() == 'setup')
            say('database {} stopped'.format(db))
        else:
            expect(state == 'setup', 'database {} is in runtime state {}'.format(db, state))

    # 2. EXAStorage (path URL this time).
    storage = proxy('/storage')
    storage.stopEXAStorage()
    wait_until('Storaged to stop', lambda: ['Storaged', 'not running'] in cluster.getServiceState())
    say('services: {}'.format(cluster.getServiceState()))

    # 3. Data nodes, then the license server last.
    for node in nodes:
        cluster.shutdownNode(node)
    for node in nodes:
        wait_until('node {} to power off'.format(node), lambda: cluster.getNodeState(node)['status'] != 'Running')
    say('all data nodes are off')
    cluster.shutdownNode(LICENSE_SERVER)

    def stopped_answering():
        try:
            proxy().getNodeList()
            return False
        except (ConnectionError, OSError):
            return True

    wait_until('EXAoperation to stop answering', stopped_answering)
    say('EXAoperation stopped answering; cluster is down')


def main():
    cluster = proxy()
    logservice = proxy('/logservice1')
    nodes = start_cluster(cluster, logservice)
    stop_cluster(cluster, nodes)


if __name__ == '__main__':
    try:
        main()
    except KbFailure as failure:
        print('KB sequence FAILED: {}'.format(redact(failure)), file=sys.stderr)
        sys.exit(1)
    except (xmlrpc.client.Fault, xmlrpc.client.ProtocolError, OSError) as error:
        print('KB sequence FAILED with {}: {}'.format(type(error).__name__, redact(error)), file=sys.stderr)
        sys.exit(1)
