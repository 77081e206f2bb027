import os


def backup():
    folder = input("Folder to back up: ")
    os.system(f"tar czf /backups/archive.tgz {folder}")  # expect: CWE-78


if __name__ == "__main__":
    backup()
