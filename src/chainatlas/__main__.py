from chainatlas.cli import cli

cli()
