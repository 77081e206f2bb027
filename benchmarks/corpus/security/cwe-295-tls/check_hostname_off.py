import socket
import ssl


def connect(host):
    context = ssl.create_default_context()
    context.check_hostname = False  # expect: CWE-295
    context.verify_mode = ssl.CERT_NONE
    return context.wrap_socket(socket.create_connection((host, 443)), server_hostname=host)
