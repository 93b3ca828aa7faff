from procedurekit.cli import main

main()
