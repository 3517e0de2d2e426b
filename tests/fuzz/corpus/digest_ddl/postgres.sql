CREATE TABLE IF NOT EXISTS public."Users" (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, login varchar(255) NOT NULL UNIQUE, tags text[], org_id int REFERENCES orgs(id) ON DELETE CASCADE);
CREATE FUNCTION f() RETURNS trigger AS $$ BEGIN RETURN NEW; END; $$ LANGUAGE plpgsql;
ALTER TABLE ONLY public."Users" ADD CONSTRAINT u_fk FOREIGN KEY (org_id) REFERENCES public.orgs(id);
COMMENT ON COLUMN public."Users".login IS 'sign-in name';
CREATE VIEW v AS SELECT * FROM "Users";
