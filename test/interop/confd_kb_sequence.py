#!/usr/bin/env python3
"""The call sequence of Exasol's KB article "Using XML-RPC to manage Docker clusters", written
from its description for ConfD (Exasol 8), with nothing but the Python standard library:

  GET https://<node>/master  -> the master's address
  ServerProxy('https://user:pw@<master>/', context=unverified, allow_none=True)
  job_exec('db_state', {'params': {'db_name': DB}})   -> 'running'
  job_exec('db_stop', ...), poll db_state until 'setup'
  job_exec('db_start', ...), poll db_state until 'running'

Like the KB, TLS verification is off (the certificate is self-signed). Configuration comes from
the environment, never argv:
  CONFD_NODE_URL   any node's ConfD URL, e.g. https://127.0.0.1:20003/
  CONFD_USER, CONFD_PASSWORD
  CONFD_DB         database name (default DB1)
  KB_POLL_SECONDS  (default 1.0), KB_DEADLINE_SECONDS (default 600)
/master may answer a bare host (then the port of CONFD_NODE_URL is used, as the KB uses 443
throughout) or host:port. Exits 0 on success, 1 with a message on stderr; never prints the password.
"""

import os
import ssl
import sys
import time
import urllib.request
import xmlrpc.client
from urllib.parse import quote, urlsplit


class KbFailure(Exception):
    pass


def env(name, default=None):
    value = os.environ.get(name, default)
    if value is None or value == '':
        raise KbFailure('environment variable {} is required'.format(name))
    return value


def master_address(node_url, context):
    with urllib.request.urlopen(node_url.rstrip('/') + '/master', context=context, timeout=30) as response:
        address = response.read().decode('utf-8').strip()
    if address == '':
        raise KbFailure('/master answered an empty address')
    if ':' not in address:
        address = '{}:{}'.format(address, urlsplit(node_url).port or 443)
    return address


def main():
    node_url = env('CONFD_NODE_URL')
    user = env('CONFD_USER')
    password = env('CONFD_PASSWORD')
    db = env('CONFD_DB', 'DB1')
    poll = float(env('KB_POLL_SECONDS', '1.0'))
    deadline_seconds = float(env('KB_DEADLINE_SECONDS', '600'))
    context = ssl._create_unverified_context()  # as the KB does: self-signed certificate

    master = master_address(node_url, context)
    print('master is {}'.format(master))
    # The KB puts the credentials in the URL; quote() keeps special characters intact.
    uri = 'https://{}:{}@{}/'.format(quote(user, safe=''), quote(password, safe=''), master)
    conn = xmlrpc.client.ServerProxy(uri, context=context, allow_none=True)
    params = {'params': {'db_name': db}}

    def job(name):
        result = conn.job_exec(name, params)
        if result.get('result_code') != 0:
            raise KbFailure('{} failed: {} {}'.format(name, result.get('result_name'), result.get('result_desc')))
        return result

    def wait_for(state):
        deadline = time.monotonic() + deadline_seconds
        while True:
            current = job('db_state').get('result_output')
            if current == state:
                return
            if time.monotonic() > deadline:
                raise KbFailure('database {} did not reach {}; it is {}'.format(db, state, current))
            time.sleep(poll)

    state = job('db_state')['result_output']
    print('database {} is {}'.format(db, state))
    if state != 'running':
        raise KbFailure('expected database {} to be running, got {}'.format(db, state))
    stopped = job('db_stop')
    if 'result_output' in stopped:
        raise KbFailure('db_stop returned a result_output: {!r}'.format(stopped['result_output']))
    wait_for('setup')
    print('database {} is stopped (setup)'.format(db))
    job('db_start')
    wait_for('running')
    print('database {} is running again'.format(db))
    return 0


if __name__ == '__main__':
    try:
        sys.exit(main())
    except (KbFailure, OSError, xmlrpc.client.Error) as error:
        message = str(error).replace(os.environ.get('CONFD_PASSWORD', '\0'), '***')
        print('confd_kb_sequence.py: {}'.format(message), file=sys.stderr)
        sys.exit(1)
