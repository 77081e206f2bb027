def main():
    answer = input("Entrez une expression : ")
    print("=", eval(answer))  # expect: CWE-94


if __name__ == "__main__":
    main()
