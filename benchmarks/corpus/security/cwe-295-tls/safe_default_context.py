import socket
import ssl


def connect(host):
    context = ssl.create_default_context()  # safe: CWE-295
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    return context.wrap_socket(socket.create_connection((host, 443)), server_hostname=host)
