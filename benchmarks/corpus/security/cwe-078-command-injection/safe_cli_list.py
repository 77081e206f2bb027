import subprocess


def backup():
    folder = input("Folder to back up: ")
    subprocess.run(["tar", "czf", "/backups/archive.tgz", "--", folder], check=True)  # safe: CWE-78


if __name__ == "__main__":
    backup()
