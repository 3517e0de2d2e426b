objectClass("User") {
    update {
        scim {
            patch {
            }
        }
    }
}
