from amrgnn.cli import main

raise SystemExit(main())
