// Contract stub: module hooks that let the bench child import TypeScript bench files.
export {};
