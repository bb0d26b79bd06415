"""Full MkDocs builds of the site and what a reader's browser receives from them."""
