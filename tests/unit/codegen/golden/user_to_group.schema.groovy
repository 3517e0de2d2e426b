// Group membership
// Resolving needs search support for these attributes (a supportedFilter on members of Group and on groups of User).
relationship("user_to_group") {
    subject("User") {
        attribute("groups") {
            multiValued true
            resolver {
                resolutionType PER_OBJECT
                search {
                    attributeFilter("members").eq(value)
                }
            }
        }
    }
    object("Group") {
        attribute("members") {
            multiValued true
            resolver {
                resolutionType PER_OBJECT
                search {
                    attributeFilter("groups").eq(value)
                }
            }
        }
    }
}
