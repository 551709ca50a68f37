#!/usr/bin/env python3
"""pgproxy.py PORT TARGET: a TCP proxy in front of PostgreSQL that can go
silent, for the fault tests.

  PORT     the loopback TCP port to listen on (127.0.0.1; 0: any free one)
  TARGET   where to forward: HOST:PORT, or a Unix socket path

SIGUSR1 makes it a blackhole: it stops reading from every connection in
both directions and sends nothing (new connections are accepted by the
kernel and then ignored), as a partitioned network would, except that the
kernel still acknowledges what fits in its buffers, so TCP keepalives and
tcp_user_timeout see a live peer: only the client's own deadline can tell.
SIGUSR2 heals it: held data flows again and waiting connections are
forwarded.  SIGTERM stops it.  It prints "ready PORT" once listening.
"""
import asyncio
import os
import signal
import sys


class Link:
    """One client connection and its upstream."""

    def __init__(self, proxy, reader, writer):
        self.proxy = proxy
        self.creader, self.cwriter = reader, writer
        self.ureader = self.uwriter = None

    async def pump(self, reader, writer):
        try:
            while True:
                await self.proxy.open.wait()
                data = await reader.read(65536)
                if not data:
                    break
                # read while open, forwarded only once open again
                await self.proxy.open.wait()
                writer.write(data)
                await writer.drain()
        except (ConnectionError, OSError):
            pass
        finally:
            writer.close()

    async def run(self):
        await self.proxy.open.wait()
        try:
            if self.proxy.unix:
                self.ureader, self.uwriter = await asyncio.open_unix_connection(
                    self.proxy.target)
            else:
                h, p = self.proxy.target.rsplit(":", 1)
                self.ureader, self.uwriter = await asyncio.open_connection(
                    h, int(p))
        except OSError:
            self.cwriter.close()
            return
        await asyncio.gather(self.pump(self.creader, self.uwriter),
                             self.pump(self.ureader, self.cwriter))


class Proxy:
    def __init__(self, target):
        self.target = target
        self.unix = target.startswith("/")
        self.open = asyncio.Event()
        self.open.set()

    async def accept(self, reader, writer):
        await Link(self, reader, writer).run()


async def main():
    port, target = int(sys.argv[1]), sys.argv[2]
    proxy = Proxy(target)
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    loop.add_signal_handler(signal.SIGUSR1, proxy.open.clear)
    loop.add_signal_handler(signal.SIGUSR2, proxy.open.set)
    loop.add_signal_handler(signal.SIGTERM, stop.set)
    loop.add_signal_handler(signal.SIGINT, stop.set)
    server = await asyncio.start_server(proxy.accept, "127.0.0.1", port)
    print("ready", server.sockets[0].getsockname()[1], flush=True)
    await stop.wait()
    # the connections held open die with the process, unlogged
    os._exit(0)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    asyncio.run(main())
