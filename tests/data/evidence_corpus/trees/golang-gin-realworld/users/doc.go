/*
The user module containing the user CRU operation.

model.go: definition of orm based data model

routers.go: router binding and core logic

serializers.go: definition the schema of return data

validators.go: definition the validator of form data
*/
package users
