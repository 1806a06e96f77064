from ethicskit.cli import main

main()
