"""`python -m secagent_tui` runs the same command line as `secagent`."""

from secagent_tui.cli import main

if __name__ == "__main__":
    main()
