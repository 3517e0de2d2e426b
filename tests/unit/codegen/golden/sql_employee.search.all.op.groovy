objectClass("Employee") {
    search {
        sql {
            builtIn {
                enabled true
            }
        }
    }
}
