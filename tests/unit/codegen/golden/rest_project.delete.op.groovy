objectClass("Project") {
    delete {
        // No delete endpoint addressed by the object's {id} is documented.
    }
}
