objectClass("User") {
    search {
        scim {
            limitations {
                supportedFilter attribute("id").eq().anySingleValue()
            }
        }
    }
}
