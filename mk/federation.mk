# Federation verbs: the SAML identity providers' certificates and the service provider's metadata.
.PHONY: idp-check sp-metadata

# The tools check ENV themselves: a missing or unknown one lists the environments (exit 2).
idp-check: $(STAMP_PY) ## When each SAML provider's signing certificates expire: make idp-check ENV=prod [WARNING_DAYS=30]
	@$(BIN)/python -m operator_tools.verbs.idp_check --env "$(ENV)" $(if $(WARNING_DAYS),--warning-days "$(WARNING_DAYS)")

sp-metadata: $(STAMP_PY) ## The SAML SP metadata an IdP administrator imports: make sp-metadata ENV=prod [PROVIDER=name] [FILE=path] [NAME_ID=persistent]
	@$(BIN)/python -m operator_tools.verbs.sp_metadata --env "$(ENV)" $(if $(PROVIDER),--provider "$(PROVIDER)") $(if $(FILE),--file "$(FILE)") $(if $(NAME_ID),--name-id-format "$(NAME_ID)")
