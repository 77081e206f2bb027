import requests

GITHUB_TOKEN = "ghp_R8sT2uV4wX6yZ8aB0cD2eF4gH6iJ8kL0mN2p"  # expect: CWE-798


def issues(repo):
    return requests.get(f"https://api.github.com/repos/{repo}/issues",
                        headers={"Authorization": f"token {GITHUB_TOKEN}"}, timeout=5).json()
