objectClass("User") {
    search {
        endpoint("users/{userId}") {
            singleResult()
            supportedFilter(attribute("id").eq().anySingleValue()) {
                request.pathParameter("userId", value)
            }
        }
        endpoint("users/by-login/{login}") {
            singleResult()
            supportedFilter(attribute("login").eq().anySingleValue()) {
                request.pathParameter("login", value)
            }
        }
    }
}
