"""Starts a command with a socket as its standard input, as inetd or systemd's socket activation would, and
talks to it over that socket: sends "ping" and prints the reply. Used by InheritedChannelTest.

usage: inherited_channel_driver.py MODE COMMAND...
MODE: tcp-connected | unix-connected | tcp-listening | udp (AF_INET6) | udp4 | pipe
Prints "reply=<text>" (or "reply=-" when there is nothing to talk to), then the child's output and exit status.
"""
import socket
import subprocess
import sys

TIMEOUT = 30


def main():
    mode, cmd = sys.argv[1], sys.argv[2:]
    reply = "-"
    if mode == "tcp-connected":
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as listener:
            listener.bind(("127.0.0.1", 0))
            listener.listen(1)
            client = socket.create_connection(listener.getsockname(), timeout=TIMEOUT)
            conn, _ = listener.accept()
        child = start(cmd, conn)
        reply = talk_stream(client)
    elif mode == "unix-connected":
        client, conn = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        child = start(cmd, conn)
        reply = talk_stream(client)
    elif mode == "tcp-listening":
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.bind(("127.0.0.1", 0))
        listener.listen(1)
        address = listener.getsockname()
        child = start(cmd, listener)
        client = socket.create_connection(address, timeout=TIMEOUT)
        reply = talk_stream(client)
    elif mode in ("udp", "udp4"):
        inet6 = mode == "udp"
        # AF_INET6: the JDK's own inherited DatagramChannel takes any datagram socket for AF_INET6 and cannot send
        # from an AF_INET one (EAFNOSUPPORT), so the comparison uses the family both handle
        fam = socket.AF_INET6 if inet6 else socket.AF_INET
        server = socket.socket(fam, socket.SOCK_DGRAM)
        server.bind(("::1" if inet6 else "127.0.0.1", 0))
        address = server.getsockname()
        child = start(cmd, server)
        client = socket.socket(fam, socket.SOCK_DGRAM)
        client.settimeout(TIMEOUT)
        client.sendto(b"ping", address)
        try:
            data, _ = client.recvfrom(1000)
            reply = data.decode()
        except socket.timeout:
            reply = "timeout"
    elif mode == "pipe":
        child = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    else:
        raise SystemExit("unknown mode " + mode)
    out, _ = child.communicate(timeout=TIMEOUT)
    print("reply=" + reply)
    sys.stdout.write(out.decode())
    print("child-exit=%d" % child.returncode)


def start(cmd, sock):
    # the child's fd 0 is the socket; ours is closed so that only the child holds it
    child = subprocess.Popen(cmd, stdin=sock.fileno(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    sock.close()
    return child


def talk_stream(client):
    client.settimeout(TIMEOUT)
    client.sendall(b"ping\n")
    data = b""
    while True:
        chunk = client.recv(1000)
        if not chunk:
            break  # the end: the child closed the channel (or exited)
        data += chunk
    client.close()
    return data.decode().strip()


if __name__ == "__main__":
    main()
