from gxgk_site.cli import main

main()
